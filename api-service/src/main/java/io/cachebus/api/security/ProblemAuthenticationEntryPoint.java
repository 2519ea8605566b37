package io.cachebus.api.security;

import io.cachebus.api.web.ProblemResponseWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 with a {@code WWW-Authenticate: Bearer} header and a problem body that are the same whichever check refused
 * the token (signature, expiry, lifetime, issuer, audience, tenant): a client probing with forged tokens learns
 * nothing about which part it got right. The reason goes to the log (debug level) for the operator.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final String DETAIL = "a valid bearer token is required: send 'Authorization: Bearer <token>'";
    /** RFC 6750 section 3: no error code when the request carried no token, invalid_token for any refused one. */
    private static final String NO_TOKEN_CHALLENGE = "Bearer";
    private static final String REFUSED_TOKEN_CHALLENGE = "Bearer error=\"invalid_token\"";

    private static final Logger log = LoggerFactory.getLogger(ProblemAuthenticationEntryPoint.class);

    private final ProblemResponseWriter problems;

    ProblemAuthenticationEntryPoint(ProblemResponseWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean tokenRefused = e instanceof InvalidBearerTokenException
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        log.debug("request refused status=401 path={} tokenPresent={} reason={}", request.getRequestURI(),
                tokenRefused, e.getMessage());
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, tokenRefused ? REFUSED_TOKEN_CHALLENGE : NO_TOKEN_CHALLENGE);
        problems.write(request, response, ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, DETAIL));
    }
}
