// The read bench's peer: civgraph's Neo4j graph served by the Neo4j GraphQL Library on Apollo
// Server, as a team would serve it with the library's generated schema and no code of its own.
//
//   PEER_NEO4J_URI=bolt://… PEER_NEO4J_PASSWORD=… PEER_PORT=0 node server.mjs
//
// Prints `READY http://127.0.0.1:PORT` once it listens, stops on SIGTERM/SIGINT and when its
// standard input closes (so it never outlives the bench that started it). Every answer
// carries a `peer-statements` header: the Cypher statements the request sent to Neo4j,
// counted where they are sent (each `run` on a transaction of the request's own driver view).

import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const STATEMENTS = "peer-statements";

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

// A transaction that counts its statements; the library runs each through `run`.
function countingTransaction(tx, tally) {
  return {
    run(query, parameters, config) {
      tally.statements += 1;
      return tx.run(query, parameters, config);
    },
  };
}

// A session whose transactions count (the library reads through executeRead).
function countingSession(session, tally) {
  const counted = (work) => (tx) => work(countingTransaction(tx, tally));
  return {
    executeRead: (work, config) => session.executeRead(counted(work), config),
    executeWrite: (work, config) => session.executeWrite(counted(work), config),
    close: () => session.close(),
  };
}

// What the library takes as a request's executionContext: driver-like (it has `session`),
// so the library opens, uses and closes its own sessions through it.
function countingDriver(driver, tally) {
  return {
    session: (config) => countingSession(driver.session(config), tally),
    executeQueryBookmarkManager: driver.executeQueryBookmarkManager,
  };
}

const statementsHeader = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        response.http.headers.set(STATEMENTS, String(contextValue.tally.statements));
      },
    };
  },
};

async function main() {
  const uri = required("PEER_NEO4J_URI");
  const password = required("PEER_NEO4J_PASSWORD");
  const port = Number(process.env.PEER_PORT ?? "0");
  const driver = neo4j.driver(uri, neo4j.auth.basic(process.env.PEER_NEO4J_USER ?? "neo4j", password));
  const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
  const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
  // Signals are handled below: Apollo's own handler re-raises the signal after stopping,
  // which left the process running next to ours.
  const server = new ApolloServer({
    schema,
    plugins: [statementsHeader],
    stopOnTerminationSignals: false,
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: "127.0.0.1", port },
    context: async () => {
      const tally = { statements: 0 };
      return { tally, executionContext: countingDriver(driver, tally) };
    },
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref(); // a stop that hangs still ends
    Promise.allSettled([server.stop(), driver.close()]).then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
  console.log(`READY ${url.replace(/\/$/, "")}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
