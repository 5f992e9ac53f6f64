package io.talkline.audit;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.talkline.commons.testing.TestTokens;
import io.talkline.devstack.DevstackResource;

/** The one declaration of this module's test resources (Quarkus applies them to every test). */
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "redis,kafka,mongo"))
public final class TestResources {

    private TestResources() {
    }
}
