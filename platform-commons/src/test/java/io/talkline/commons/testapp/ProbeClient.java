package io.talkline.commons.testapp;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("/probe")
public interface ProbeClient {

    @GET
    @Path("/headers")
    Map<String, String> headers();
}
