"""The demo's feedback scene: written privately, moderated, published without a name."""

from __future__ import annotations

import io

from bot.demo import run_demo


async def test_the_demo_shows_feedback_published_anonymously() -> None:
    out = io.StringIO()
    assert await run_demo(out=out) == 0
    scene = out.getvalue().split("=== Anonymous feedback", 1)[1]
    assert "Mo: presses [ Publish in the group ]" in scene
    posted = scene.split("[Meadow carers' circle] Equal Say:", 1)[1]
    assert posted.lstrip().startswith("Anonymous feedback #1 (from a carer)")
    assert "Ade" not in posted.split("[private chat", 1)[0]
