package io.github.tuntaplab.tunlib.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that talks to the real kernel: it needs CAP_NET_ADMIN (skipped with a reason
 * otherwise, failed under CI=true) and must leave the root namespace as it found it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("live")
@ExtendWith({NetAdminRequired.class, RootNamespaceGuard.class})
public @interface LiveTest {}
