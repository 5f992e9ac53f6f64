package io.talkline.media;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.talkline.commons.testing.TestTokens;
import io.talkline.devstack.DevstackResource;

/** The one declaration of this module's test resources (Quarkus applies them to every test). */
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka,s3"))
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(ChatStandIn.class)
@QuarkusTestResource(MediaTestResource.class)
public final class TestResources {

    private TestResources() {
    }
}
