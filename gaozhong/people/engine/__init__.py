"""Pure computations of the people app (no Django): the 师德 veto rule, training hours, rotation rates and the
due-for-rotation ranking, and staffing need by subject. The Django side gathers rows into these dataclasses
and renders the results; the tests check each function against a second, simple computation."""
