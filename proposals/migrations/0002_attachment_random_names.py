# New attachments are stored under random names (core.files.RandomName); rows keep their paths.

import django.core.validators
from django.db import migrations, models

import core.files


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                max_length=200,
                upload_to=core.files.RandomName("proposals/%Y"),
                validators=[
                    django.core.validators.FileExtensionValidator(
                        ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]
                    )
                ],
                verbose_name="文件",
            ),
        ),
    ]
