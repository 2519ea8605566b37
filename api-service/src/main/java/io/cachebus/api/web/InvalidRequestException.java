package io.cachebus.api.web;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** 400: the request is well-formed HTTP but its content is not acceptable; names every offending field. */
public class InvalidRequestException extends ErrorResponseException {

    private final List<FieldViolation> violations;

    public InvalidRequestException(List<FieldViolation> violations) {
        super(HttpStatus.BAD_REQUEST, Problems.invalidRequest(violations), null);
        this.violations = List.copyOf(violations);
    }

    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(List.of(new FieldViolation(field, message)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    @Override
    public String getMessage() {
        return "invalid request: " + violations;
    }
}
