"""Build the optional compiled text passes (``analysis._text_speedups``).

Everything else is in ``pyproject.toml``. Where no C compiler is available the build goes on
without the extension and ``analysis.text`` uses its pure-Python passes (same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "analysis._text_speedups",
            ["src/analysis/_text_speedups.pyx"],
            optional=True,
        )
    ]
)
