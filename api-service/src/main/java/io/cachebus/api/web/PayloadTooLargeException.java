package io.cachebus.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** 413: the request body is larger than {@code cachebus.api.max-request-body-size}; it was not read further. */
public class PayloadTooLargeException extends ErrorResponseException {

    public PayloadTooLargeException(long limitBytes) {
        super(HttpStatus.CONTENT_TOO_LARGE, Problems.payloadTooLarge(limitBytes), null);
    }
}
