package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one line {@code ladle mutate} shows for a mutant TLC could not evaluate says what went wrong. */
class MutationErrorLineTest {
    private static final ModelRef MODEL = ModelRef.tlc("MCX", Path.of("MCX.tla"), Path.of("MCX.cfg"));

    private static String line(String error) {
        return MutationRun.firstLine(ModelResult.error(MODEL, error, Duration.ZERO));
    }

    @Test
    void tlcsBoilerplateGivesWayToTheLineThatSaysWhatWentWrong() {
        String error = "TLC could not evaluate the spec at Bad.tla:6:14: TLC threw an unexpected exception.\n"
                + "This was probably caused by an error in the spec or model.\n"
                + "See the User Output or TLC Console for clues to what happened.\n"
                + "The exception was a java.lang.RuntimeException\n"
                + ": Attempted to apply function:\n"
                + "(0 :> 0 @@ 1 :> 1 @@ 2 :> 2)\n"
                + "to argument 3, which is not in the domain of the function.\n"
                + "The error occurred when TLC was evaluating the nested\n"
                + "expressions at the following positions:\n"
                + "0. Line 6, column 9 to line 6, column 21 in Bad";
        assertEquals("TLC could not evaluate the spec at Bad.tla:6:14: Attempted to apply function:", line(error));
    }

    @Test
    void aFirstLineThatSaysWhatWentWrongIsKeptAndALongOneIsCut() {
        assertEquals(
                "TLC could not evaluate the spec at K.tla:4:2: The identifier y is undefined",
                line("TLC could not evaluate the spec at K.tla:4:2: The identifier y is undefined\nmore"));
        assertEquals("configuration error in MCX.cfg", line("configuration error in MCX.cfg"));
        String cut = line("x".repeat(300));
        assertEquals(160, cut.length());
        assertEquals("...", cut.substring(157));
    }

    @Test
    void nothingButBoilerplateKeepsTheFirstLine() {
        assertEquals(
                "TLC could not evaluate the spec at K.tla:1:1: The error occurred when TLC was evaluating the nested",
                line("TLC could not evaluate the spec at K.tla:1:1: The error occurred when TLC was evaluating the"
                        + " nested\nexpressions at the following positions:\n0. Line 1, column 1 to line 1, column 5 in"
                        + " K"));
    }
}
