import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.DatabaseShutdownException;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.TransactionTerminatedException;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a local Neo4j 5.26 Community, embedded, with a Bolt connector, for
 * development and CI. Started by neo4j/neo4j.sh as
 * {@code java -Xmx4g -cp <classpath> neo4j/Launcher.java} (source-file mode).
 *
 * <p>Environment: NEO4J_HOME_DIR (default .neo4j; data goes to
 * NEO4J_HOME_DIR/data), NEO4J_PORT (default 7687), NEO4J_PASSWORD (default
 * importer-local), NEO4J_PAGECACHE_MB (default 4096), NEO4J_TX_MEMORY_MB
 * (default 3072), NEO4J_TLS_DIR (default unset: plaintext Bolt; set: Bolt
 * over TLS with the key and certificate NEO4J_TLS_DIR/private.key and
 * NEO4J_TLS_DIR/public.crt, PEM), NEO4J_TLS_LEVEL (REQUIRED, the default, or
 * OPTIONAL: plaintext clients are accepted too).
 *
 * <p>Memory, sized for a 2-core 24 GiB machine shared with the importer, its
 * bbolt staging file and Go tests: heap 4 GiB (-Xmx4g, set by neo4j.sh); page
 * cache 4 GiB, meant to keep the whole store of a benchmark-sized import
 * cached; a 3 GiB global cap on transaction memory (transaction state lives on
 * the heap), so a runaway UNWIND batch fails with a memory-limit error instead
 * of exhausting the heap. About 8.5 GiB in all, leaving ~15 GiB for the rest.
 */
public final class Launcher {
    private static final long MIB = 1024L * 1024L;

    public static void main(String[] args) throws Exception {
        try {
            start();
        } catch (Throwable t) {
            // Neo4j's threads would keep the JVM alive half-started: exit, so
            // neo4j.sh sees the failure at once. The hook shuts Neo4j down.
            log("startup failed: " + t);
            t.printStackTrace(System.out);
            System.exit(1);
        }
        Thread.currentThread().join(); // run until SIGTERM; the hook shuts down
    }

    private static void start() throws Exception {
        Path home = Path.of(env("NEO4J_HOME_DIR", ".neo4j")).toAbsolutePath();
        int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "importer-local");
        long pageCache = Long.parseLong(env("NEO4J_PAGECACHE_MB", "4096")) * MIB;
        long txMemory = Long.parseLong(env("NEO4J_TX_MEMORY_MB", "3072")) * MIB;
        Files.createDirectories(home);

        // The user log (startup, shutdown, errors) goes to stdout, which
        // neo4j.sh sends to .neo4j/neo4j.log; the debug log is .neo4j/logs/debug.log.
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMemory)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Keep only the newest transaction log: a 1.7M-row load otherwise
                // leaves gigabytes of logs (no backups or clusters here).
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                // Bulk writes (issue 9), from the debug log of 100k-row loads: the
                // transaction log rotated every ~4 min at the default 256 MiB, 79 ms
                // each, and each rotation also prunes the old log; 1 GiB rotates a
                // quarter as often for the same disk (one log kept). The scheduled
                // checkpoint (15 min, 100,000 transactions; a 1.7M-row load commits
                // ~4,400) took 1.1 s flushing 8,600 pages: left at its default, it
                // costs the load well under 1%. Neither is where the load's CPU goes
                // (see docs/performance.md: commit and Cypher execution).
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 1024 * MIB)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Bolt's Netty event loops otherwise idle ~5 s each at shutdown,
                // after every connection and database has already stopped.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        String tls = configureTls(builder);
        DatabaseManagementService dbms = builder.build();
        // The pid file lets neo4j/neo4j.sh find this process however it was started.
        Path pidFile = home.resolve("neo4j.pid");
        String pid = Long.toString(ProcessHandle.current().pid());
        Files.writeString(pidFile, pid + "\n");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping");
            dbms.shutdown();
            try {
                if (Files.readString(pidFile).trim().equals(pid)) {
                    Files.delete(pidFile);
                }
            } catch (Exception e) {
                // gone already, or replaced by a newer launcher: leave it
            }
            log("stopped");
        }, "neo4j-shutdown"));

        setPassword(dbms.database("system"), password);
        log("ready: bolt://127.0.0.1:" + port + " (" + tls + ") user neo4j, page cache "
                + pageCache / MIB + " MiB, transaction memory " + txMemory / MIB
                + " MiB, max heap " + Runtime.getRuntime().maxMemory() / MIB + " MiB, home " + home);
    }

    /**
     * Configures Bolt's encryption: none by default; with NEO4J_TLS_DIR, the
     * Bolt SSL policy (dbms.ssl.policy.bolt.*) over that directory's
     * private.key and public.crt, no client certificates, and TLS required
     * (NEO4J_TLS_LEVEL=OPTIONAL also accepts plaintext). Returns a
     * description for the log.
     */
    private static String configureTls(DatabaseManagementServiceBuilder builder) throws Exception {
        String dir = env("NEO4J_TLS_DIR", "");
        if (dir.isEmpty()) {
            builder.setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
            return "plaintext";
        }
        Path base = Path.of(dir).toAbsolutePath();
        for (String f : new String[] {"private.key", "public.crt"}) {
            if (!Files.isRegularFile(base.resolve(f))) {
                throw new IllegalArgumentException("NEO4J_TLS_DIR=" + base + " has no " + f);
            }
        }
        // The policy wants its trusted and revoked directories to exist,
        // even when it asks clients for no certificate.
        Files.createDirectories(base.resolve("trusted"));
        Files.createDirectories(base.resolve("revoked"));
        BoltConnector.EncryptionLevel level = BoltConnector.EncryptionLevel.valueOf(env("NEO4J_TLS_LEVEL", "REQUIRED"));
        SslPolicyConfig policy = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
        builder.setConfig(policy.enabled, true)
                .setConfig(policy.base_directory, base)
                .setConfig(policy.client_auth, ClientAuth.NONE)
                .setConfig(BoltConnector.encryption_level, level);
        return "TLS " + level + ", certificate " + base.resolve("public.crt");
    }

    /**
     * Sets the neo4j user's password on every start, so NEO4J_PASSWORD always
     * wins. Neo4j refuses to "change" a password to the one it already has;
     * that case is fine.
     */
    private static void setPassword(GraphDatabaseService system, String password) throws InterruptedException {
        // On a busy machine the system database can still be coming up when
        // build() returns ("not currently available", transaction
        // terminated): wait for it, up to a minute, instead of failing the start.
        for (int attempt = 1; ; attempt++) {
            try {
                alterPassword(system, password);
                return;
            } catch (TransactionTerminatedException | DatabaseShutdownException e) {
                if (attempt == 60) {
                    throw e;
                }
                log("system database not available yet (" + e.getClass().getSimpleName() + "); retrying");
                Thread.sleep(1000);
            }
        }
    }

    private static void alterPassword(GraphDatabaseService system, String password) {
        try (Transaction tx = system.beginTx()) {
            tx.execute("ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            tx.commit();
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                String msg = c.getMessage();
                if (msg != null && msg.contains("Old password and new password cannot be the same")) {
                    return;
                }
            }
            throw e;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static void log(String msg) {
        System.out.println("[launcher] " + msg);
        System.out.flush();
    }
}
