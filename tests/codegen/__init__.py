import pytest

# The corpus's call scenarios assert outside a test module: their failures should say what differed.
pytest.register_assert_rewrite("tests.codegen.corpus_calls")
