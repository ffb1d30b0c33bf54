"""Lists and detail pages of schools, classes, students and teachers, and their edit forms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gaozhong.common.standards import CLASS_MAX
from gaozhong.core.listing import Col, Filter, Listing
from gaozhong.core.masking import mask_student_no
from gaozhong.core.models import AdminClass, County, School, Student, Teacher
from gaozhong.core.scoping import can_write, get_visible_or_404, get_writable_or_403, visible
from gaozhong.core.selectors import current_year
from gaozhong.core.services.records import school_update, student_update, teacher_update

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _edit(request, obj, form, save, *, title: str, detail: str):
    """The edit-page flow every record shares: a valid form goes to the record's service, whose refusal shows on
    the form; success returns to the record's page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, str(exc.args[0] if exc.args else exc))
        else:
            messages.success(request, "已保存")
            return redirect(detail, pk=obj.pk)
    return render(request, "core/form.html", {"form": form, "title": title, "back": obj})


def _county_options(user):
    return [(c.code, c.name) for c in visible(County, user).order_by("code")]


SCHOOLS = Listing(
    name="schools", title="学校", default_sort="code", search=("code__istartswith", "name"),
    columns=[
        Col("code", "学校代码", lambda s: s.code, sort="code", kind="identifier"),
        Col("name", "学校名称", lambda s: s.name, sort="name", link=lambda s: reverse("school_detail", args=[s.pk])),
        Col("county", "县(区)", lambda s: s.county.name, sort="county__code"),
        Col("level", "学段", lambda s: s.get_level_display(), sort="level"),
        Col("ownership", "办学性质", lambda s: s.get_ownership_display(), sort="ownership"),
        Col("quality", "办学等级", lambda s: s.get_quality_display(), sort="quality"),
        Col("students", "在籍学生", lambda s: s.n_students, sort="n_students", kind="integer", numeric=True),
    ],
    filters=[
        Filter("county", "县(区)", _county_options, lambda qs, v: qs.filter(county__code=v)),
        Filter("level", "学段", lambda user: School.Level.choices, lambda qs, v: qs.filter(level=v)),
        Filter("ownership", "办学性质", lambda user: School.Ownership.choices, lambda qs, v: qs.filter(ownership=v)),
    ],
)


@login_required
def school_list(request):
    qs = (visible(School, request.user).select_related("county")
          .annotate(n_students=Count("students", filter=Q(students__status=Student.Status.ENROLLED))))
    return SCHOOLS.respond(request, qs, lambda listing: render(request, "core/school_list.html", {"l": listing}))


@login_required
def school_detail(request, pk: int):
    school = get_visible_or_404(School.objects.select_related("county"), request.user, pk=pk)
    year = current_year()
    classes = visible(AdminClass, request.user).filter(school=school, school_year=year).annotate(n=Count("enrollments"))
    return render(request, "core/school_detail.html", {
        "school": school, "classes": classes, "can_edit": can_write(request.user, school),
        "teachers": visible(Teacher, request.user).filter(school=school).count(),
        "students": visible(Student, request.user).filter(school=school, status=Student.Status.ENROLLED).count(),
    })


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "ownership", "quality", "founded_year", "address"]


@login_required
@require_http_methods(["GET", "POST"])
def school_edit(request, pk: int):
    school = get_writable_or_403(School, request.user, pk=pk)
    form = SchoolForm(request.POST or None, instance=School.objects.get(pk=school.pk))
    return _edit(request, school, form, lambda data: school_update(actor=request.user, school=school, data=data),
                 title=f"编辑学校：{school.name}", detail="school_detail")


@login_required
def class_list(request):
    year = current_year()
    qs = visible(AdminClass, request.user).filter(school_year=year).select_related("school", "head_teacher").annotate(n=Count("enrollments")).order_by("school__code", "grade", "number")
    school = request.GET.get("school")
    if school:
        qs = qs.filter(school__code=school)
    if request.GET.get("large") == "1":
        qs = qs.filter(n__gt=CLASS_MAX)
    return render(request, "core/class_list.html", {"page": _page(request, qs), "year": year, "school": school or ""})


@login_required
def class_detail(request, pk: int):
    ac = get_visible_or_404(AdminClass.objects.select_related("school", "school_year", "head_teacher"), request.user, pk=pk)
    students = visible(Student, request.user).filter(enrollments__admin_class=ac).order_by("student_no")
    assignments = ac.assignments.select_related("teacher", "subject")
    return render(request, "core/class_detail.html", {"ac": ac, "students": students, "assignments": assignments})


def _status_filter(qs, value):
    return qs if value == "all" else qs.filter(status=value)


STUDENTS = Listing(
    name="students", title="学生", default_sort="student_no", search=("name", "student_no__exact"),
    columns=[
        Col("student_no", "学籍号", lambda s: mask_student_no(s.student_no), sort="student_no", kind="identifier"),
        Col("name", "姓名", lambda s: s.name, sort="name", link=lambda s: reverse("student_detail", args=[s.pk])),
        Col("id_number", "身份证号", lambda s: s.id_number_masked, kind="identifier", css="mono"),
        Col("gender", "性别", lambda s: s.gender, sort="gender"),
        Col("school", "学校", lambda s: s.school.name, sort="school__code"),
        Col("class", "班级", lambda s: s.admin_class.name if s.admin_class else "", sort="admin_class__number"),
        Col("entry_year", "入学年份", lambda s: s.entry_year, sort="entry_year", kind="integer", numeric=True),
        Col("status", "学籍状态", lambda s: s.get_status_display(), sort="status"),
    ],
    filters=[
        Filter("school", "学校", lambda user: [(s.code, s.name) for s in visible(School, user).filter(level=School.Level.SENIOR).order_by("code")],
               lambda qs, v: qs.filter(school__code=v)),
        Filter("entry_year", "入学年份", lambda user: [(str(y), f"{y} 级") for y in visible(Student, user).order_by("-entry_year")
                                                        .values_list("entry_year", flat=True).distinct()],
               lambda qs, v: qs.filter(entry_year=int(v))),
        Filter("status", "学籍状态", lambda user: [("all", "全部学籍状态"), *Student.Status.choices], _status_filter,
               default=Student.Status.ENROLLED),
    ],
)


@login_required
def student_list(request):
    qs = visible(Student, request.user).select_related("school", "admin_class")
    return STUDENTS.respond(request, qs, lambda listing: render(request, "core/student_list.html", {"l": listing}))


@login_required
def student_detail(request, pk: int):
    student = get_visible_or_404(Student.objects.select_related("school", "admin_class"), request.user, pk=pk)
    history = student.enrollments.select_related("admin_class__school_year", "admin_class__school").order_by("admin_class__school_year__start_year")
    return render(request, "core/student_detail.html", {"student": student, "history": history, "can_edit": can_write(request.user, student)})


class StudentForm(forms.ModelForm):
    class Meta:
        model = Student
        fields = ["name", "gender", "birth_date", "status", "admin_class"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin_class"].queryset = AdminClass.objects.filter(school=school, school_year=current_year())


@login_required
@require_http_methods(["GET", "POST"])
def student_edit(request, pk: int):
    student = get_writable_or_403(Student, request.user, pk=pk)
    form = StudentForm(request.POST or None, instance=Student.objects.get(pk=student.pk), school=student.school)
    return _edit(request, student, form, lambda data: student_update(actor=request.user, student=student, data=data),
                 title=f"编辑学生：{student.name}", detail="student_detail")


@login_required
def teacher_list(request):
    qs = visible(Teacher, request.user).select_related("school", "county").prefetch_related("subjects")
    q = (request.GET.get("q") or "").strip()
    school = request.GET.get("school")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(staff_no=q))
    if school:
        qs = qs.filter(school__code=school)
    return render(request, "core/teacher_list.html", {"page": _page(request, qs), "q": q, "school": school or ""})


@login_required
def teacher_detail(request, pk: int):
    teacher = get_visible_or_404(Teacher.objects.select_related("school", "county"), request.user, pk=pk)
    return render(request, "core/teacher_detail.html", {
        "teacher": teacher, "can_edit": can_write(request.user, teacher),
        "assignments": teacher.assignments.select_related("admin_class__school_year", "subject"),
    })


class TeacherForm(forms.ModelForm):
    class Meta:
        model = Teacher
        fields = ["name", "gender", "is_bianzhi"]


@login_required
@require_http_methods(["GET", "POST"])
def teacher_edit(request, pk: int):
    teacher = get_writable_or_403(Teacher, request.user, pk=pk)
    form = TeacherForm(request.POST or None, instance=Teacher.objects.get(pk=teacher.pk))
    return _edit(request, teacher, form, lambda data: teacher_update(actor=request.user, teacher=teacher, data=data),
                 title=f"编辑教师：{teacher.name}", detail="teacher_detail")
