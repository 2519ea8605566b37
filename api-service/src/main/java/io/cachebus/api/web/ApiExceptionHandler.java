package io.cachebus.api.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error of the API as an RFC 7807 problem body. Spring's own exceptions (405, 406, 415, missing
 * parameters, unknown paths) already come as problems from the base class; this adds field-level detail for
 * unreadable bodies, type mismatches and validation, and a problem for anything unexpected.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // A body cut off at the size limit surfaces wrapped in Jackson's exception: the 413 wins.
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return problem(tooLarge, tooLarge.getBody(), request);
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return invalid(e, List.of(JsonErrors.violation(jackson)), request);
            }
        }
        return invalid(e, List.of(new FieldViolation("", "the request body is missing or not readable")), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            violations.add(new FieldViolation(error.getField(), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors()
                .forEach(error -> violations.add(new FieldViolation("", error.getDefaultMessage())));
        violations.sort(Comparator.comparing(FieldViolation::field));
        return invalid(e, violations, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                violations.add(new FieldViolation(result.getMethodParameter().getParameterName(),
                        error.getDefaultMessage()))));
        return invalid(e, violations, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : e.getPropertyName();
        Class<?> required = e.getRequiredType();
        String expected = required == null ? "of another type"
                : required.isEnum() ? "one of " + List.of(required.getEnumConstants())
                : required == long.class || required == Long.class || required == int.class || required == Integer.class
                        ? "an integer" : "a " + required.getSimpleName();
        return invalid(e, List.of(new FieldViolation(name == null ? "" : name, "must be " + expected)), request);
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> payloadTooLarge(PayloadTooLargeException e, WebRequest request) {
        return problem(e, e.getBody(), request);
    }

    /** Security decides about these: rethrown so its entry point answers 401/403 with its own problem body. */
    @ExceptionHandler({AuthenticationException.class, AccessDeniedException.class})
    void securityException(RuntimeException e) {
        throw e;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("unexpected error path={}", request.getDescription(false), e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the server failed to handle the request; it has been logged");
        return problem(e, problem, request);
    }

    private ResponseEntity<Object> invalid(Exception e, List<FieldViolation> violations, WebRequest request) {
        return problem(e, Problems.invalidRequest(violations), request);
    }

    private ResponseEntity<Object> problem(Exception e, ProblemDetail problem, WebRequest request) {
        return handleExceptionInternal(e, problem, new HttpHeaders(),
                HttpStatusCode.valueOf(problem.getStatus()), request);
    }
}
