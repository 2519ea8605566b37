package io.cachebus.api.security;

import io.cachebus.api.web.ProblemResponseWriter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every {@code /api/**} request needs a valid bearer token carrying a tenant (and an issuer, an audience and an
 * expiry: {@link TokenClaimsValidator}); writes (POST, PUT, PATCH, DELETE) need the write scope too
 * ({@code cachebus.security.tokens.write-scope}), else 403. Health, info, the Prometheus scrape and the OpenAPI
 * description ({@code /v3/api-docs}, {@code /swagger-ui.html}) are open (management runs on the same port, so keep
 * it behind the load balancer's internal side).
 * Stateless: no session, no CSRF token (no cookies are ever trusted).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ProblemResponseWriter problems,
            CachebusSecurityProperties properties) throws Exception {
        ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint(problems);
        ProblemAccessDeniedHandler accessDenied = new ProblemAccessDeniedHandler(problems);
        // Spring Security's JWT converter turns each scope of the token's scope/scp claim into a SCOPE_ authority.
        String writeAuthority = "SCOPE_" + properties.tokens().writeScope();
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus", "/error").permitAll()
                        .requestMatchers("/actuator/**").denyAll()
                        // The API's description is public, like any published API contract; its data is not.
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/**").hasAuthority(writeAuthority)
                        .requestMatchers(HttpMethod.PUT, "/api/**").hasAuthority(writeAuthority)
                        .requestMatchers(HttpMethod.PATCH, "/api/**").hasAuthority(writeAuthority)
                        .requestMatchers(HttpMethod.DELETE, "/api/**").hasAuthority(writeAuthority)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    WebMvcConfigurer tenantArgumentResolverRegistration() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new TenantArgumentResolver());
            }
        };
    }
}
