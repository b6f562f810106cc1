package dev.ladle.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gives located errors (module, line, column, construct), all of them in one run, never a crash. */
class ErrorsTest {
    static final Path DIR = Path.of("src/test/resources/specs/errors");

    private static List<Diagnostic> errors(String module) {
        Generator.Result r = Generator.generate(DIR.resolve(module + ".tla"), "errors");
        assertFalse(r.ok(), module + " should not generate");
        assertTrue(r.files().isEmpty());
        return r.errors();
    }

    private static void assertHas(List<Diagnostic> errors, String module, int line, int column, String fragment) {
        assertTrue(
                errors.stream()
                        .anyMatch(d -> d.module().equals(module)
                                && d.line() == line
                                && d.column() == column
                                && d.message().contains(fragment)),
                () -> "no error at " + module + ":" + line + ":" + column + " containing '" + fragment + "' in "
                        + errors);
    }

    @Test
    void everyUnsupportedConstructIsReportedWhereItIs() {
        List<Diagnostic> e = errors("Unsupported");
        assertHas(e, "Unsupported", 9, 12, "\\E inside an action body");
        assertHas(e, "Unsupported", 11, 12, "x' \\in S");
        assertHas(e, "Unsupported", 7, 16, "CHOOSE");
    }

    @Test
    void modelValuesOfTwoConstantSetsAreRefusedWhereTheyMeet() {
        List<Diagnostic> e = errors("TwoSets");
        assertHas(e, "TwoSets", 7, 34, "\\cup of the constant sets Clients and Servers");
    }

    @Test
    void anActionWhoseBodyIsExistsIsNamedNotNext() {
        List<Diagnostic> e = errors("ExistsBody");
        assertHas(e, "ExistsBody", 11, 22, "unsupported in action Jump");
    }

    /** Refusals found while emitting (Lower accepted the construct) name the construct, one of each kind. */
    @Test
    void refusalsWhileEmittingAreAtTheConstruct() {
        Generator.Result r = Generator.generate(DIR.resolve("Refusals.tla"), "errors");
        assertFalse(r.ok());
        List<Diagnostic> e = r.errors();
        // a set literal with a computed integer has no layout: at the literal, not at the action
        assertHas(e, "Refusals", 18, 25, "unsupported in action Count: a set of integers with no constant bounds");
        assertHas(e, "Refusals", 22, 14, "unsupported in action Member: membership in a set of int");
        assertHas(e, "Refusals", 26, 17, "unsupported in action Iterate: iterating over a set of int");
        assertHas(e, "Refusals", 30, 8, "unsupported in action Ghostly: guard hSeen < N reads a ghost variable");
        assertHas(e, "Refusals", 10, 26, "unsupported in TypeOK: a set of integers");
        assertHas(e, "Refusals", 13, 28, "unsupported in Init (k): a set of integers");
        assertEquals(6, e.size(), e::toString);
        // an invariant without a checker is a note, at the construct too
        assertHas(r.notes(), "Refusals", 36, 22, "invariant Small has no generated checker: a set of integers");
    }

    @Test
    void aValueOfTheWrongKindIsRefusedWhereItIsNotACrash() {
        List<Diagnostic> e = errors("IllTyped");
        assertHas(e, "IllTyped", 7, 16, "type error: a set is expected here, not an integer");
        assertHas(e, "IllTyped", 9, 19, "type error: Cardinality needs a set, not an integer");
        assertHas(e, "IllTyped", 11, 20, "type error: a set is expected here, not an integer");
    }

    @Test
    void aVariableWithoutTypeIsNamed() {
        List<Diagnostic> e = errors("Untyped");
        assertHas(e, "Untyped", 3, 14, "variable y has no type");
        assertEquals(1, e.stream().filter(d -> d.message().contains("no type")).count());
    }

    @Test
    void syntaxErrorsCarrySanysPosition() {
        assertHas(errors("Syntax"), "Syntax", 5, 15, "syntax error");
    }

    @Test
    void semanticErrorsCarrySanysPosition() {
        assertHas(errors("Semantic"), "Semantic", 5, 13, "Unknown operator");
    }

    @Test
    void aMissingFileIsAnErrorNotACrash() {
        Generator.Result r = Generator.generate(DIR.resolve("NoSuchSpec.tla"), "errors");
        assertFalse(r.ok());
        assertTrue(r.errors().get(0).message().contains("no such spec file"));
    }
}
