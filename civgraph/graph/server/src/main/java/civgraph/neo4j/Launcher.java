package civgraph.neo4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs Neo4j Community embedded with Bolt on 127.0.0.1, for civgraph.
 *
 * <p>Arguments: {@code --home DIR --port N --pagecache BYTES --tx-memory BYTES
 * [--exit-on-stdin-eof]}. Port 0 picks a free port. The Bolt password comes from the
 * environment variable {@code CIVGRAPH_NEO4J_PASSWORD} (never from the command line, which
 * other users can read); when it is empty, authentication is off.
 *
 * <p>Prints exactly one line {@code READY bolt://127.0.0.1:PORT} once Bolt accepts
 * connections, and {@code STOPPED} after a clean shutdown (SIGTERM, SIGINT, or end of
 * standard input when {@code --exit-on-stdin-eof} is given, so a crashed parent leaves no
 * orphan JVM behind).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(require(options, "home")).toAbsolutePath();
        int port = Integer.parseInt(options.getOrDefault("port", "7687"));
        long pageCache = Long.parseLong(options.getOrDefault("pagecache", "134217728"));
        long txMemory = Long.parseLong(options.getOrDefault("tx-memory", "268435456"));
        String password = System.getenv().getOrDefault("CIVGRAPH_NEO4J_PASSWORD", "");

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, !password.isEmpty())
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, txMemory)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "256M size")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            System.out.println("STOPPED");
            System.out.flush();
        }, "civgraph-shutdown"));

        if (!password.isEmpty()) {
            setPassword(service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        }
        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        System.out.println("READY bolt://127.0.0.1:" + boltPort(db));
        System.out.flush();

        if (options.containsKey("exit-on-stdin-eof")) {
            waitForEndOfInput();
            System.exit(0);
        }
        Thread.currentThread().join();
    }

    /** Makes the configured password the neo4j user's, whatever it was before. */
    private static void setPassword(GraphDatabaseService system, String password) {
        Map<String, Object> params = Map.of("password", password);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", params);
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set: nothing to do.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static int boltPort(GraphDatabaseService db) {
        ConnectorPortRegister ports = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class);
        return ports.getLocalAddress(ConnectorType.BOLT).getPort();
    }

    private static void waitForEndOfInput() throws IOException {
        while (System.in.read() != -1) {
            // Input is ignored; only its end matters.
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i]);
            }
            String name = args[i].substring(2);
            boolean hasValue = i + 1 < args.length && !args[i + 1].startsWith("--");
            options.put(name, hasValue ? args[++i] : "true");
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }
}
