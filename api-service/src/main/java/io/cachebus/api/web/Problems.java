package io.cachebus.api.web;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The RFC 7807 bodies this API sends, built in one place so every path (MVC, filters, security) agrees. */
public final class Problems {

    /** Extension member listing {@link FieldViolation}s. */
    public static final String ERRORS = "errors";

    private Problems() {
    }

    public static ProblemDetail invalidRequest(List<FieldViolation> violations) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, violations.size() == 1
                ? describe(violations.get(0))
                : violations.size() + " problems with the request: " + String.join("; ",
                        violations.stream().map(Problems::describe).toList()));
        problem.setTitle("Invalid request");
        problem.setProperty(ERRORS, List.copyOf(violations));
        return problem;
    }

    public static ProblemDetail payloadTooLarge(long limitBytes) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "the request body is larger than " + limitBytes + " bytes");
        problem.setTitle("Request body too large");
        return problem;
    }

    private static String describe(FieldViolation violation) {
        return violation.field().isEmpty() ? violation.message() : violation.field() + ": " + violation.message();
    }
}
