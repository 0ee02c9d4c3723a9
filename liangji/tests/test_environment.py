from django.conf import settings


def test_tests_never_use_the_working_data_directory():
    assert settings.DATA_DIR.name.startswith("liangji-test-")
