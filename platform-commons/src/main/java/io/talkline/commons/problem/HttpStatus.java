package io.talkline.commons.problem;

import io.netty.handler.codec.http.HttpResponseStatus;

final class HttpStatus {

    private HttpStatus() {
    }

    static String reason(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }
}
