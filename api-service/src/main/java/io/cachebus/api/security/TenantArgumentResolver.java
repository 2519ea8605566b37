package io.cachebus.api.security;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Supplies a {@link Tenant} controller parameter from the authenticated JWT. The decoder already refused
 * tokens without a valid tenant; the check here is the second lock, and it answers 401 too.
 */
final class TenantArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Tenant.class;
    }

    @Override
    public Tenant resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken jwt
                && jwt.getToken().getClaims().get(Tenant.CLAIM) instanceof String tenant) {
            try {
                return new Tenant(tenant);
            } catch (IllegalArgumentException e) {
                throw new InvalidBearerTokenException("the token's tenant claim is not a valid name");
            }
        }
        throw new InvalidBearerTokenException("the request carries no token with a tenant claim");
    }
}
