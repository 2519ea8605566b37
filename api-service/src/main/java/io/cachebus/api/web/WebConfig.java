package io.cachebus.api.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class WebConfig {

    /** Before Spring Security, so an oversized body is refused without being buffered by anything. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ApiProperties properties,
            ProblemResponseWriter problems) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.maxRequestBodySize().toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Per tenant and per token, after authentication and before any controller. */
    @Bean
    WebMvcConfigurer rateLimits(ApiProperties properties, ProblemResponseWriter problems,
            ObjectProvider<MeterRegistry> registry) {
        ApiProperties.RateLimit settings = properties.rateLimit();
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry interceptors) {
                if (settings.enabled()) {
                    interceptors.addInterceptor(new RateLimitInterceptor(new RateLimits(settings), problems,
                            registry.getIfAvailable(SimpleMeterRegistry::new)));
                }
            }
        };
    }

    @Bean
    StrictJson strictJson() {
        return new StrictJson();
    }
}
