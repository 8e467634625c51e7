"""The typed request context every resolver receives, with the request's scoped graph."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from civgraph.auth.audit import AuditLog
from civgraph.auth.principal import Principal
from civgraph.auth.privacy import Privacy
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import DivisionCode, parse_division_code
from civgraph.graph.scope import NOWHERE, Scope, Scoped
from civgraph.resolvers.feed import ChangeHub
from civgraph.resolvers.loaders import Loaders, create_loaders
from civgraph.settings import Settings


@dataclass
class Context:
    graph: Graph  # for writes (a mutation carries its principal's scope: graph.writes.Write)
    settings: Settings
    # Every read made for the principal: the shared graph and what the principal may see,
    # made once per request (a WebSocket's when its connection is authenticated: `bind`).
    scoped: Scoped
    loaders: Loaders  # read through `scoped`
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    # Filled by strawberry from the graphql-transport-ws connection_init payload.
    connection_params: dict[str, Any] = field(default_factory=dict)
    change_hub: ChangeHub | None = None  # the process's; None where nothing subscribes
    # Who asks: from the Authorization header, or (WebSocket) the connection_init payload.
    principal: Principal | None = None
    audit: AuditLog | None = None  # the process's; None: nothing audited (in-process tests)
    subscriptions: int = 0  # running on this WebSocket connection (civgraph.schema.limits)
    # The operation's personal data: masked until Authorize knows the principal may see it.
    privacy: Privacy = field(default_factory=Privacy)

    @property
    def scope(self) -> Scope:
        """What the principal may see (a write's region, a decider's)."""
        return self.scoped.scope

    def bind(self, principal: Principal) -> None:
        """Who asks, known once a WebSocket connection is authenticated: the scoped graph
        and the loaders of every subscription on the connection."""
        self.principal = principal
        self.scoped = Scoped(self.graph, principal.scope)
        self.loaders = create_loaders(self.scoped, cache=self.loaders.cache)

    def region(self, asked: DivisionCode | None) -> str:
        """The division-code prefix of the region a view, statistic or rule is asked for: the
        province (CIVGRAPH_PROVINCE) when none is. Reads narrow it to the scope."""
        return (asked or parse_division_code(self.settings.province)).prefix

    def for_operation(self, privacy: Privacy) -> Context:
        """This context for one operation with its own privacy: a WebSocket connection's
        context serves every operation on it, some at the same time."""
        return replace(self, privacy=privacy)

    def hub(self) -> ChangeHub:
        if self.change_hub is None:
            raise RuntimeError("no change hub in this context (the app's lifespan starts it)")
        return self.change_hub


def build_context(
    graph: Graph,
    settings: Settings,
    request: Request | WebSocket | None = None,
    response: Response | WebSocket | None = None,
    hub: ChangeHub | None = None,
    principal: Principal | None = None,
    audit: AuditLog | None = None,
) -> Context:
    """The context of one request: its scoped graph is the principal's; without one yet (a
    WebSocket before connection_init) it sees nothing but programs."""
    scoped = Scoped(graph, principal.scope if principal else NOWHERE)
    loaders = create_loaders(scoped, cache=not isinstance(request, WebSocket))
    return Context(
        graph, settings, scoped, loaders, request, response, change_hub=hub,
        principal=principal, audit=audit,
    )  # fmt: skip
