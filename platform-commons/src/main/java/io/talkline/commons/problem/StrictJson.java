package io.talkline.commons.problem;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * A JSON body that names a field twice is refused (400), not read one way here and another way
 * by the next parser in line: which of the two values wins differs between parsers, a classic way
 * to smuggle a value past a check. Without this a record body with a repeated field even failed as
 * a 500 (Jackson cannot set a creator property twice).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
