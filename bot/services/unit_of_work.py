"""The unit of work as services hand it upward.

Handlers pass a unit of work into service calls (the ballot batch runs their writes in its
shared transaction), so they need its type; they take it from here and never import
storage. Only services and repositories see what is inside it.
"""

from __future__ import annotations

from storage.uow import UnitOfWork

__all__ = ["UnitOfWork"]
