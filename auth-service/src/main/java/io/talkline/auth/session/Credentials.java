package io.talkline.auth.session;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** POST /api/auth/login: a username or an e-mail address, and the password. */
public record Credentials(@NotBlank @Size(max = 254) String username, @NotBlank @Size(max = 128) String password) {
}
