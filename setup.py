"""Build the optional compiled text passes (``analysis.text._speedups``).

Everything else is in ``pyproject.toml``. Where no C compiler is available the build goes on
without the extension and ``analysis.text`` uses its pure-Python passes (same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "analysis.text._speedups",
            ["src/analysis/text/_speedups.pyx"],
            optional=True,
        )
    ]
)
