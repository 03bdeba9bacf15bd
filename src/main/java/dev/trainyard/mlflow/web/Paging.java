package dev.trainyard.mlflow.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.trainyard.mlflow.ErrorCode;
import dev.trainyard.mlflow.MlflowException;

/** Opaque page tokens: the offset of the next page, base64-encoded. */
final class Paging {

    private Paging() {
    }

    static int offset(String token) {
        if (token == null || token.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            if (offset >= 0) {
                return offset;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid page token '" + token + "'");
    }

    static String token(int offset) {
        return Base64.getUrlEncoder().encodeToString(Integer.toString(offset).getBytes(StandardCharsets.UTF_8));
    }
}
