package io.talkline.auth.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** POST /api/auth/register (api.md: username 3–32 of [A-Za-z0-9_.-], password 10–128 characters). */
public record Registration(
        @NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{3,32}", message = "3 to 32 of letters, digits, '_', '.', '-'") String username,
        @NotBlank @Email @Size(max = 254) @Pattern(regexp = "[^\\p{Cc}\\p{Cf}\\p{Z}\\s]+", message = "no spaces, control or format characters") String email,
        @NotNull @Size(min = 10, max = 128, message = "10 to 128 characters") String password,
        @Size(max = 64) @Pattern(regexp = "[^\\p{Cc}\\p{Zl}\\p{Zp}]*", message = "no control characters or line breaks") String displayName) {
}
