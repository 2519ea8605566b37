package io.cachebus.api.security;

import io.cachebus.api.web.ProblemResponseWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/** 401 with the standard {@code WWW-Authenticate: Bearer ...} header and a problem body saying why. */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final Logger log = LoggerFactory.getLogger(ProblemAuthenticationEntryPoint.class);

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
    private final ProblemResponseWriter problems;

    ProblemAuthenticationEntryPoint(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        bearer.commence(request, response, e);
        log.debug("request refused status={} path={} reason={}", response.getStatus(), request.getRequestURI(),
                e.getMessage());
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status == null ? HttpStatus.UNAUTHORIZED : status,
                e instanceof InvalidBearerTokenException
                        ? "the bearer token was refused: " + e.getMessage()
                        : "authentication required: send an 'Authorization: Bearer <token>' header");
        problems.write(request, response, problem);
    }
}
