package io.cachebus.client.autoconfigure;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * A duration property that must be set and longer than zero: an interval of zero would spin the loop it paces, a
 * timeout or TTL of zero would turn what it guards off without saying so.
 */
@Documented
@Constraint(validatedBy = {})
@ReportAsSingleViolation
@NotNull
@DurationMin(nanos = 0, inclusive = false)
@Target(FIELD)
@Retention(RUNTIME)
public @interface PositiveDuration {

    String message() default "must be longer than 0";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
