package io.talkline.media.media;

import java.io.InputStream;
import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.media.access.Caller;
import io.talkline.media.upload.UploadService;

@Path("/api/media")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class MediaResource {

    private final UploadService uploads;
    private final MediaService media;
    private final SecurityIdentity identity;

    public MediaResource(UploadService uploads, MediaService media, SecurityIdentity identity) {
        this.uploads = uploads;
        this.media = media;
        this.identity = identity;
    }

    /**
     * The body arrives as a stream (a virtual thread reads it as the client sends it): nothing is
     * buffered whole. Declared as any type on purpose: for multipart/form-data Quarkus REST parses
     * the form itself first, holding it (a 500 MB upload ran a 256 MB heap out of memory);
     * UploadService refuses anything but multipart/form-data with 415.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upload (multipart: kind, roomId?, file — kind before file): 201; 413 too large; 415 type not allowed")
    public Response upload(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, InputStream body) {
        MediaView stored = uploads.upload(Caller.of(identity, authorization), contentType, contentLength, body);
        return Response.status(201).entity(stored).build();
    }

    public record NewUpload(@NotBlank @Size(max = 255) String fileName, @Size(max = 127) String contentType,
            @NotNull @PositiveOrZero Long size, @NotBlank String kind, @Size(max = 64) String roomId) {
    }

    @POST
    @Path("/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Direct upload: 201 {id, uploadUrl, expiresAt} (presigned PUT); then POST /{id}/complete")
    public Response startDirect(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Valid @NotNull NewUpload upload) {
        var started = media.startDirect(Caller.of(identity, authorization), Kind.parse(upload.kind()), upload.roomId(),
                upload.fileName(), upload.size());
        return Response.status(201).entity(started).build();
    }

    @POST
    @Path("/{id}/complete")
    @Operation(summary = "Direct upload done: the object is measured; 413/415 remove it")
    public MediaView complete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return media.complete(Caller.of(identity, authorization), id);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Metadata and a short-lived presigned GET {url, expiresAt}; 404 for anyone who may not read it")
    public MediaView get(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return media.view(Caller.of(identity, authorization), id);
    }

    @GET
    @Path("/{id}/content")
    @Operation(summary = "302 to the presigned URL")
    public Response content(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Response.status(302).location(URI.create(media.contentUrl(Caller.of(identity, authorization), id)))
                .header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete (uploader or admin): 204; 403 for a reader who is neither")
    public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        media.delete(Caller.of(identity, authorization), id);
        return Response.noContent().build();
    }
}
