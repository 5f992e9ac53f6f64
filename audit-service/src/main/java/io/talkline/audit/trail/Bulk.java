package io.talkline.audit.trail;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.WriteModel;

/** Unordered bulk inserts where a duplicate id means "stored already" (redelivery), not a failure. */
public final class Bulk {

    private static final int DUPLICATE_KEY = 11000;
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private Bulk() {
    }

    /** Inserts them all; returns the positions of those refused as already stored. Any other error is thrown. */
    public static <T> List<Integer> insertIgnoringDuplicates(MongoCollection<T> collection, List<T> documents) {
        if (documents.isEmpty()) {
            return List.of();
        }
        List<WriteModel<T>> writes = new ArrayList<>(documents.size());
        for (T document : documents) {
            writes.add(new InsertOneModel<>(document));
        }
        try {
            collection.bulkWrite(writes, UNORDERED);
            return List.of();
        } catch (MongoBulkWriteException e) {
            List<BulkWriteError> errors = e.getWriteErrors();
            if (e.getWriteConcernError() != null || errors.stream().anyMatch(error -> error.getCode() != DUPLICATE_KEY)) {
                throw e;
            }
            return errors.stream().map(BulkWriteError::getIndex).toList();
        }
    }
}
