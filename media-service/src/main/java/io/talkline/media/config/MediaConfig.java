package io.talkline.media.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "media")
public interface MediaConfig {

    /** The bucket holding every uploaded object. */
    @WithDefault("talkline-media")
    String bucket();
}
