"""学籍 (student registry) integrity: the pure check engine (``engine``) and the ``gaozhong registry`` command.

The engine finds 重复学籍, 空挂学籍, 人籍分离, 批量转学 and invalid 身份证号 in a registry and its attendance,
exam and transfer records; the web app shows its findings as a worklist per county and school.
"""
