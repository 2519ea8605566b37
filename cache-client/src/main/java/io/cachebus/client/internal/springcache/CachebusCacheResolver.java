package io.cachebus.client.internal.springcache;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.BasicOperation;
import org.springframework.cache.interceptor.CacheEvictOperation;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JavaType;

/**
 * Gives each cache operation the view of the cache it needs, once per invocation (Spring resolves the caches of an
 * operation each time a method is called): {@code @Cacheable} a view typed by the method's return type that stores
 * its result only under the generations its lookup saw, {@code @CacheEvict(beforeInvocation = true)} one that
 * refuses to run outside a transaction, and every other operation the cache itself.
 */
public final class CachebusCacheResolver implements CacheResolver {

    private final CachebusCacheManager manager;
    private final Map<Method, JavaType> valueTypes = new ConcurrentHashMap<>();

    public CachebusCacheResolver(CachebusCacheManager manager) {
        this.manager = manager;
    }

    @Override
    public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
        BasicOperation operation = context.getOperation();
        List<Cache> caches = new ArrayList<>(operation.getCacheNames().size());
        for (String name : operation.getCacheNames()) {
            CachebusCache cache = manager.cache(name);
            if (operation instanceof CacheableOperation) {
                caches.add(cache.forReadsOf(valueTypes.computeIfAbsent(context.getMethod(), this::valueType)));
            } else if (operation instanceof CacheEvictOperation evict && evict.isBeforeInvocation()) {
                caches.add(cache.forEvictionBeforeTheWrite());
            } else {
                caches.add(cache);
            }
        }
        return caches;
    }

    /** What a {@code @Cacheable} method caches: its return type, without the {@link Optional} Spring unwraps. */
    private JavaType valueType(Method method) {
        Type type = method.getGenericReturnType();
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Optional.class) {
            type = parameterized.getActualTypeArguments()[0];
        } else if (type instanceof Class<?> plain) {
            // an int result is cached as an Integer, which the L1 check must accept
            type = ClassUtils.resolvePrimitiveIfNecessary(plain);
        }
        return manager.codec().type(type);
    }
}
