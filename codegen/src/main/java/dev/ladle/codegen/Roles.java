package dev.ladle.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ModuleNode;
import tla2sany.semantic.OpDefNode;

/**
 * The first pass after parsing: the module's definitions by name, and which of them play TypeOK, Init and Next
 * (the definitions of those names, else the one {@code <Prefix>TypeOK} and so on of the root module). Refuses a
 * spec where one is missing.
 */
final class Roles {

    /**
     * The definitions by name in SANY's order, then each role's stand-in under the role's name; and the name each
     * role has in the spec (TypeOK, or PersistTypeOK).
     */
    record Found(String module, Map<String, OpDefNode> defs, Map<String, String> roleNames) {
        OpDefNode get(String name) {
            return defs.get(name);
        }
    }

    private Roles() {}

    static Diagnosed<Found> find(ModuleNode root) {
        Map<String, OpDefNode> defs = new LinkedHashMap<>();
        Map<String, String> roleNames = new HashMap<>(Map.of("TypeOK", "TypeOK", "Init", "Init", "Next", "Next"));
        List<Diagnostic> errors = new ArrayList<>();
        for (OpDefNode d : root.getOpDefs()) {
            defs.put(d.getName().toString(), d);
        }
        String module = root.getName().toString();
        for (String needed : List.of("TypeOK", "Init", "Next")) {
            if (!defs.containsKey(needed)) {
                // a prefixed definition of the root module (PersistTypeOK, PersistInit, PersistNext) stands in
                List<OpDefNode> prefixed = defs.values().stream()
                        .filter(d -> d.getLocation() != null
                                && d.getLocation().source().equals(module)
                                && d.getArity() == 0
                                && d.getName().toString().endsWith(needed))
                        .toList();
                if (prefixed.size() == 1) {
                    defs.put(needed, prefixed.get(0));
                    roleNames.put(needed, prefixed.get(0).getName().toString());
                } else {
                    errors.add(new Diagnostic(
                            module,
                            1,
                            1,
                            "the spec defines no " + needed + " (nor exactly one <Prefix>" + needed + " in " + module
                                    + "; see docs/tla-subset.md)"));
                }
            }
        }
        return Diagnosed.of(errors.isEmpty() ? new Found(module, defs, roleNames) : null, errors);
    }
}
