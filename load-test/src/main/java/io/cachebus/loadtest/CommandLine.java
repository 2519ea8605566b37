package io.cachebus.loadtest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The command and its {@code --name value} (or {@code --name=value}) options; flags take no value. */
final class CommandLine {

    /** A command line the harness does not understand; the message says what is wrong. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private final String command;
    private final Map<String, String> options;

    private CommandLine(String command, Map<String, String> options) {
        this.command = command;
        this.options = options;
    }

    /**
     * @param valued the options that take a value
     * @param flags  the options that take none
     */
    static CommandLine parse(String[] args, Set<String> valued, Set<String> flags) {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
            if (options.put(name, value) != null) {
                throw new UsageException("--" + name + " given twice");
            }
        }
        return new CommandLine(args[0], options);
    }

    String command() {
        return command;
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(options.get(name)).filter(v -> !v.isBlank());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** A comma-separated list; empty when the option is absent. */
    List<String> list(String name) {
        List<String> values = new ArrayList<>();
        value(name).ifPresent(text -> {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
        });
        return values;
    }
}
