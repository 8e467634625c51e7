#!/usr/bin/env bash
# Vendors the GraphiQL page's assets from the npm registry into civgraph/static/graphiql/,
# so the page makes no request to any CDN. Versions are those strawberry's own page uses.
set -euo pipefail
out="${1:-civgraph/static/graphiql}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent react@18.2.0 react-dom@18.2.0 graphiql@3.8.3 \
  @graphiql/plugin-explorer@1.0.2 >/dev/null)
take() {  # take TARBALL PATH-IN-PACKAGE NAME
  tar -xzf "$work/$1" -C "$work" "package/$2"
  mv "$work/package/$2" "$out.tmp/$3"
}
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
take react-18.2.0.tgz umd/react.production.min.js react.production.min.js
take react-dom-18.2.0.tgz umd/react-dom.production.min.js react-dom.production.min.js
take graphiql-3.8.3.tgz graphiql.min.js graphiql.min.js
take graphiql-3.8.3.tgz graphiql.min.css graphiql.min.css
take graphiql-plugin-explorer-1.0.2.tgz dist/index.umd.js plugin-explorer.umd.js
take graphiql-plugin-explorer-1.0.2.tgz dist/style.css plugin-explorer.css
rm -rf "$out" && mv "$out.tmp" "$out"
echo "vendored GraphiQL assets into $out"
