package io.talkline.chat.logs;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;

/** Test-only endpoint: logs at three levels inside a real, authenticated request (its MDC as any request's). */
@Path("/test/log-probe/{marker}")
@Authenticated
public class LogProbeResource {

    @POST
    public void log(@PathParam("marker") String marker) {
        Log.infof("log probe %s info", marker);
        Log.warnf("log probe %s warn", marker);
        Log.errorf(new IllegalStateException("probe failure " + marker), "log probe %s error", marker);
    }
}
