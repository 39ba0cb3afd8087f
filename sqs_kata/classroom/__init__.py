"""Running a class: the student edition, the teacher's grader kept out of students' hands, and bulk grading.

grader_lock.py     fingerprints of the grader (tests/, sqs_kata/, kata.toml, conftest.py, pyproject.toml)
student_edition.py sqs-kata export --student DIR: the repository a class gets
submissions.py     a folder of submissions (folders, .zip files, git repositories) -> one exercises/ each
grading.py         one submission graded in a process of its own (clean env, own HOME, time limit)
gradebook.py       gradebook.csv
feedback.py        feedback/<student>.md, in the class language
summary.py         the class summary: pass rate per exercise, hardest tests, a bar chart
similarity.py      pairs of submissions alike after normalisation, and copies of the reference
class_grade.py     sqs-kata class grade SUBMISSIONS --out DIR: all of the above, in parallel
"""
