package io.talkline.chat;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.talkline.commons.testing.TestTokens;

/** Test users: an id and a token of their own, and the calls they make. */
public record Users(String id, String token) {

    public static Users fresh(String... roles) {
        String id = UUID.randomUUID().toString();
        return new Users(id, TestTokens.token(id, roles));
    }

    public RequestSpecification call() {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public String group(Users... others) {
        return call().body(Map.of("type", "group", "name", "room " + id.substring(0, 6), "memberIds",
                java.util.Arrays.stream(others).map(Users::id).toList())).post("/api/rooms").then().statusCode(201)
                .extract().path("id");
    }

    public io.restassured.response.ValidatableResponse send(String roomId, String clientMsgId, String body) {
        return call().body(Map.of("clientMsgId", clientMsgId, "type", "text", "body", body))
                .post("/api/rooms/" + roomId + "/messages").then();
    }

    public static List<String> ids(Users... users) {
        return java.util.Arrays.stream(users).map(Users::id).toList();
    }
}
