package io.cachebus.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * 404: no such resource for the caller's tenant. Another tenant's resource gets exactly this answer, so a
 * caller cannot even learn that an id exists elsewhere.
 */
public class ResourceNotFoundException extends ErrorResponseException {

    public ResourceNotFoundException(String resource, Object id) {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                resource + " " + id + " does not exist"), null);
    }
}
