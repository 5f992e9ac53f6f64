package io.talkline.auth.account;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** The bootstrap admin from the environment is held to the registration rules. */
class BootstrapAdminTest {

    private final Validator validator = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    @Test
    void aShortPasswordStopsTheServiceWithTheFieldNamed() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> AccountService
                .checkBootstrapAdmin(new Registration("root", "root@example.org", "admin", null), validator));
        assertTrue(refused.getMessage().contains("password"), refused.getMessage());
        assertTrue(refused.getMessage().contains("PLATFORM_BOOTSTRAP_ADMIN_"), refused.getMessage());
    }

    @Test
    void aBadUsernameOrEmailToo() {
        assertThrows(IllegalStateException.class, () -> AccountService
                .checkBootstrapAdmin(new Registration("r", "root@example.org", "a long enough password", null), validator));
        assertThrows(IllegalStateException.class, () -> AccountService
                .checkBootstrapAdmin(new Registration("root", "not-an-email", "a long enough password", null), validator));
    }

    @Test
    void aValidOneIsAccepted() {
        assertDoesNotThrow(() -> AccountService.checkBootstrapAdmin(
                new Registration("root", "root@example.org", "a long enough password", null), validator));
    }
}
