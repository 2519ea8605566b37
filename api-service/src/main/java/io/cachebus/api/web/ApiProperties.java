package io.cachebus.api.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits of the API.
 *
 * @param maxRequestBodySize the largest request body accepted; a larger one is refused with 413 before it is
 *                           parsed. Default 64KB: a workflow with 100 steps is a few KiB.
 */
@ConfigurationProperties("cachebus.api")
public record ApiProperties(@DefaultValue("64KB") DataSize maxRequestBodySize) {
}
