"""Course content: typed models, a loader with located errors, and the loaded Course."""

from ztlab.content.course import Course
from ztlab.content.loader import load_course, load_course_or_raise
from ztlab.content.problems import ContentError, Problem

__all__ = ["ContentError", "Course", "Problem", "load_course", "load_course_or_raise"]
