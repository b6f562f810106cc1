package dev.ladle.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The coverage table when there is nothing to show says why, not that a check stopped part way. */
class CoverageTableTest {
    @Test
    void noModelThatHoldsSaysWhichModelsCount() {
        assertEquals(
                "coverage: no TLC model that holds was checked (a model stopped at a violation covers only part of"
                        + " its states; an Alloy command has no actions)\n",
                Coverage.table(List.of()));
    }
}
