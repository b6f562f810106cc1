package dev.ladle.x86;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The module arrow kernel <- x86: the generic kernel never reaches into the architecture. */
class ArchitectureTest {
    @Test
    void nothingInTheKernelImportsX86() {
        JavaClasses kernel = new ClassFileImporter().importPackages("dev.ladle.kernel");
        noClasses()
                .that()
                .resideInAPackage("dev.ladle.kernel..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.ladle.x86..")
                .because("x86 implements the kernel's hw interfaces; the arrow points one way")
                .check(kernel);
    }

    @Test
    void theKernelClassesWereFound() {
        // guards against the rule above passing on an empty import
        JavaClasses kernel = new ClassFileImporter().importPackages("dev.ladle.kernel");
        org.junit.jupiter.api.Assertions.assertTrue(kernel.contain(dev.ladle.kernel.hw.Platform.class));
    }
}
