from ztlab.content import load_course


def test_shipped_course_loads_without_problems():
    course, problems = load_course()
    assert problems == []
    assert course.lessons, "the built-in course has lessons"
