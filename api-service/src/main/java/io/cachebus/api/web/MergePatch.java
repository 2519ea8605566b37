package io.cachebus.api.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Merge Patch (RFC 7386) applied to a record holding a resource's patchable fields: members present in
 * the patch replace the current value, {@code null} removes it (the field becomes {@code null}, which the
 * record's constraints may refuse), absent members stay as they are. The result is bound strictly (unknown
 * fields and wrong types are refused) and validated, so a patch can never produce a state a full request could not.
 */
@Component
public class MergePatch {

    /** The media type of a JSON merge patch; {@code application/json} is accepted too. */
    public static final String MEDIA_TYPE = "application/merge-patch+json";

    private final JsonMapper mapper;
    private final Validator validator;

    public MergePatch(JsonMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    public <T extends Record> T apply(T current, JsonNode patch, Class<T> type) {
        if (patch == null || !patch.isObject()) {
            throw InvalidRequestException.of("", "a merge patch must be a JSON object");
        }
        requireKnownFields(patch, type);
        ObjectNode merged = mapper.valueToTree(current);
        merge(merged, patch);
        T result;
        try {
            result = mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(merged);
        } catch (JacksonException e) {
            throw new InvalidRequestException(List.of(JsonErrors.violation(e)));
        }
        validate(result);
        return result;
    }

    /** Checks a bound request body or patch result against its constraints; a 400 naming every bad field. */
    public <T> void validate(T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations.stream()
                    .map(v -> new FieldViolation(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(FieldViolation::field))
                    .toList());
        }
    }

    private static void requireKnownFields(JsonNode patch, Class<? extends Record> type) {
        Set<String> known = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        List<FieldViolation> unknown = patch.propertyStream().map(Map.Entry::getKey)
                .filter(name -> !known.contains(name))
                .map(name -> new FieldViolation(name, "unknown or read-only field; patchable: " + String.join(", ", known)))
                .toList();
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException(unknown);
        }
    }

    static void merge(ObjectNode target, JsonNode patch) {
        patch.propertyStream().forEach(member -> {
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject()) {
                JsonNode existing = target.get(name);
                ObjectNode nested = existing != null && existing.isObject() ? (ObjectNode) existing : target.objectNode();
                merge(nested, value);
                target.set(name, nested);
            } else {
                target.set(name, value.deepCopy());
            }
        });
    }
}
