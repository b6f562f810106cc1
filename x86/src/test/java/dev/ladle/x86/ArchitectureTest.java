package dev.ladle.x86;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.ladle.kernel.hw.Platform;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The module arrow kernel <- x86: the generic kernel never reaches into the architecture. */
class ArchitectureTest {
    /**
     * Every class of the kernel module (hand-written and generated), read from where the kernel was loaded: its
     * classes folder in a reactor build, its jar when this module is built alone.
     */
    private static JavaClasses kernel() throws URISyntaxException, IOException {
        Path location = Path.of(Platform.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        if (Files.isRegularFile(location)) {
            try (JarFile jar = new JarFile(location.toFile())) {
                return new ClassFileImporter().importJar(jar);
            }
        }
        return new ClassFileImporter().importPath(location);
    }

    @Test
    void nothingInTheKernelImportsX86() throws URISyntaxException, IOException {
        JavaClasses kernel = kernel();
        // guards against the rule passing on an empty import
        assertTrue(kernel.contain(Platform.class));
        assertTrue(kernel.size() > 10, "kernel classes found: " + kernel.size());
        noClasses()
                .that()
                .resideInAPackage("dev.ladle.kernel..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.ladle.x86..")
                .because("x86 implements the kernel's hw interfaces; the arrow points one way")
                .check(kernel);
    }
}
