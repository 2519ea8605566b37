package io.cachebus.api.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Puts a {@link VerifiedTokenCache} in front of whichever {@link JwtDecoder} verifies bearer tokens: the local HS256
 * one ({@link LocalJwtDecoderConfiguration}) or Spring Boot's for an identity provider. Configured by
 * {@code cachebus.security.verified-tokens.*}; {@code max-size=0} (or {@code max-bytes=0}) leaves the decoder as it is.
 */
@Configuration(proxyBeanMethods = false)
class VerifiedTokenCacheConfiguration {

    private static final Logger log = LoggerFactory.getLogger(VerifiedTokenCacheConfiguration.class);

    /** Static and lazy about its properties: a post-processor is created before ordinary beans. */
    @Bean
    static BeanPostProcessor verifiedTokenCacheForJwtDecoders(ObjectProvider<CachebusSecurityProperties> properties) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof JwtDecoder decoder) || bean instanceof VerifiedTokenCache) {
                    return bean;
                }
                CachebusSecurityProperties.VerifiedTokens settings = properties.getObject().verifiedTokens();
                if (!settings.enabled()) {
                    log.info("jwt verified-token cache off decoder={}", beanName);
                    return bean;
                }
                log.info("jwt verified-token cache decoder={} maxSize={} maxBytes={} maxAge={}", beanName,
                        settings.maxSize(), settings.maxBytes().toBytes(), settings.maxAge());
                return new VerifiedTokenCache(decoder, settings.maxSize(), settings.maxBytes().toBytes(),
                        settings.maxAge());
            }
        };
    }
}
