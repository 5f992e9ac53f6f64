package io.talkline.system;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;

import io.restassured.specification.RequestSpecification;
import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Platform;
import io.talkline.devstack.RunDir;

/** A user registered on the platform under test, with a real access token from auth-service. */
public record TestUser(String id, String token) {

    /** The whole platform (two chat and two signaling instances) on its own ports and run directory. */
    public static Platform platform(String runDir, int basePort) {
        return platform(runDir, basePort, Map.of());
    }

    /** With extra gateway properties; coturn runs too. */
    public static Platform platform(String runDir, int basePort, Map<String, String> gatewayProperties) {
        return platform(runDir, basePort, gatewayProperties, Map.of());
    }

    /** With extra gateway properties and properties for every instance. */
    public static Platform platform(String runDir, int basePort, Map<String, String> gatewayProperties,
            Map<String, String> everyInstance) {
        Devstack.shared().up(EnumSet.of(Component.MARIADB, Component.REDIS, Component.KAFKA, Component.S3, Component.MONGO,
                Component.TURN));
        Map<String, String> gateway = new java.util.HashMap<>(gatewayProperties);
        gateway.put("gateway.rate-limit.key-prefix", "rl-" + runDir + "-" + UUID.randomUUID());
        Platform platform = new Platform(new RunDir(Path.of("target", runDir).toAbsolutePath()), basePort, gateway,
                everyInstance);
        try {
            platform.up();
        } catch (RuntimeException e) {
            // an instance that did not come up fails the class: the others must not hold its ports for the next one
            platform.down();
            throw e;
        }
        return platform;
    }

    public static TestUser register(Platform.Instance auth) {
        String name = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String credentials = "{\"username\":\"" + name + "\",\"password\":\"system test password\"";
        String id = given().baseUri(auth.url()).port(auth.port()).contentType("application/json")
                .body(credentials + ",\"email\":\"" + name + "@example.org\"}").post("/api/auth/register").then()
                .statusCode(201).extract().path("id");
        String token = given().baseUri(auth.url()).port(auth.port()).contentType("application/json")
                .body(credentials + "}").post("/api/auth/login").then().statusCode(200).extract().path("accessToken");
        return new TestUser(id, token);
    }

    /** A JSON request to one instance, as this user. */
    public RequestSpecification at(Platform.Instance instance) {
        return given().baseUri(instance.url()).port(instance.port()).header("Authorization", "Bearer " + token)
                .contentType("application/json");
    }
}
