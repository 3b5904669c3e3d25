#!/usr/bin/env python3
"""Export 224x224 ImageNet-layout networks to ONNX, and write an ImageFolder data set.

The four architectures are written here as plain torch modules with the same
layers, order and names as torchvision's (torchvision does not import with the
CPU torch wheel these machines get): ResNet-18, ResNet-50, MobileNetV2 and
MobileNetV3-small (HardSwish, squeeze-excitation with HardSigmoid). Weights are
random (seeded) with torchvision's initialisation, and BatchNorm statistics are
random too so that folding them into the convolutions is really exercised. Each
model goes to OUT/<name>/model.onnx with a config.json carrying the ImageNet
evaluation transform (resize 256, centre crop 224, mean/std).

    python3 scripts/make_imagenet_models.py OUT [--models resnet18,...] [--symbolic-hw]
        [--images N --image-dir DIR] [--classes C] [--seed S]

--symbolic-hw exports with named height/width axes (brecq takes the size from
config.json). --images writes N generated JPEG/PNG pictures of varied sizes and
colour modes in train/<class>/ and val/<class>/ (the layout torchvision's
ImageFolder and every PTQ toolkit read). Needs torch (pip install
torch==2.13.0+cpu), onnx, pillow, numpy.
"""
import argparse
import json
import os

import numpy as np
import torch
from torch import nn

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


# ---------------------------------------------------------------- ResNet
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)  # torchvision v1.5: stride on the 3x3
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self, block, layers, classes):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.layer1 = self._layer(block, 64, layers[0])
        self.layer2 = self._layer(block, 128, layers[1], 2)
        self.layer3 = self._layer(block, 256, layers[2], 2)
        self.layer4 = self._layer(block, 512, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512 * block.expansion, classes)

    def _layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride, bias=False),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


# ---------------------------------------------------------------- MobileNets
def make_divisible(v, divisor=8):
    new = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new + divisor if new < 0.9 * v else new


class ConvBNAct(nn.Sequential):
    def __init__(self, cin, cout, kernel=3, stride=1, groups=1, act=nn.ReLU6):
        layers = [nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
        if act is not None:
            layers.append(act(inplace=True))
        super().__init__(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = int(round(cin * expand))
        self.use_res = stride == 1 and cin == cout
        layers = [] if expand == 1 else [ConvBNAct(cin, hidden, 1)]
        layers += [ConvBNAct(hidden, hidden, 3, stride, hidden), nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_res else self.conv(x)


class MobileNetV2(nn.Module):
    def __init__(self, classes):
        super().__init__()
        settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]]
        cin = 32
        features = [ConvBNAct(3, cin, stride=2)]
        for t, c, n, s in settings:
            for i in range(n):
                features.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        features.append(ConvBNAct(cin, 1280, 1))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, classes))

    def forward(self, x):
        x = nn.functional.adaptive_avg_pool2d(self.features(x), 1)
        return self.classifier(torch.flatten(x, 1))


class SqueezeExcitation(nn.Module):
    def __init__(self, channels, squeeze):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.relu = nn.ReLU()
        self.scale = nn.Hardsigmoid()

    def forward(self, x):
        return x * self.scale(self.fc2(self.relu(self.fc1(self.avgpool(x)))))


class V3Block(nn.Module):
    def __init__(self, cin, kernel, expanded, cout, se, hswish, stride):
        super().__init__()
        act = nn.Hardswish if hswish else nn.ReLU
        self.use_res = stride == 1 and cin == cout
        layers = [] if expanded == cin else [ConvBNAct(cin, expanded, 1, act=act)]
        layers.append(ConvBNAct(expanded, expanded, kernel, stride, expanded, act=act))
        if se:
            layers.append(SqueezeExcitation(expanded, make_divisible(expanded // 4)))
        layers.append(ConvBNAct(expanded, cout, 1, act=None))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.block(x) if self.use_res else self.block(x)


class MobileNetV3Small(nn.Module):
    def __init__(self, classes):
        super().__init__()
        # (in, kernel, expanded, out, SE, HardSwish, stride): torchvision's mobilenet_v3_small table.
        table = [(16, 3, 16, 16, True, False, 2), (16, 3, 72, 24, False, False, 2), (24, 3, 88, 24, False, False, 1),
                 (24, 5, 96, 40, True, True, 2), (40, 5, 240, 40, True, True, 1), (40, 5, 240, 40, True, True, 1),
                 (40, 5, 120, 48, True, True, 1), (48, 5, 144, 48, True, True, 1), (48, 5, 288, 96, True, True, 2),
                 (96, 5, 576, 96, True, True, 1), (96, 5, 576, 96, True, True, 1)]
        features = [ConvBNAct(3, 16, 3, 2, act=nn.Hardswish)]
        features += [V3Block(*row) for row in table]
        features.append(ConvBNAct(96, 576, 1, act=nn.Hardswish))
        self.features = nn.Sequential(*features)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Linear(576, 1024), nn.Hardswish(inplace=True), nn.Dropout(0.2),
                                        nn.Linear(1024, classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


BUILDERS = {
    "resnet18": lambda c: ResNet(BasicBlock, [2, 2, 2, 2], c),
    "resnet50": lambda c: ResNet(Bottleneck, [3, 4, 6, 3], c),
    "mobilenetv2": MobileNetV2,
    "mobilenetv3small": MobileNetV3Small,
}


def initialise(model, generator):
    """torchvision's initialisation, plus random BatchNorm statistics (so folding them is really tested)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu", generator=generator)
            if m.bias is not None:
                nn.init.normal_(m.bias, 0, 0.01, generator=generator)
        elif isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = 0.5 + torch.rand(c, generator=generator)
            m.bias.data = 0.1 * torch.randn(c, generator=generator)
            m.running_mean.data = 0.1 * torch.randn(c, generator=generator)
            m.running_var.data = 0.5 + torch.rand(c, generator=generator)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.01, generator=generator)
            nn.init.zeros_(m.bias)
    # Damp each residual branch's last BatchNorm, as torchvision's zero_init_residual does (but not to zero):
    # random weights otherwise grow the residual stream block after block (ResNet-50 logits reach ~500),
    # and a float32 parity check of 1e-4 needs logits of order one.
    for m in model.modules():
        if isinstance(m, BasicBlock):
            m.bn2.weight.data *= 0.3
        elif isinstance(m, Bottleneck):
            m.bn3.weight.data *= 0.3


def export(name, out, classes, symbolic, seed):
    generator = torch.Generator().manual_seed(seed)
    model = BUILDERS[name](classes)
    initialise(model, generator)
    model.eval()
    directory = os.path.join(out, name)
    os.makedirs(directory, exist_ok=True)
    x = torch.randn(1, 3, 224, 224, generator=generator)
    axes = {"input": {0: "N"}, "logits": {0: "N"}}
    if symbolic:
        axes["input"].update({2: "H", 3: "W"})
    torch.onnx.export(model, (x,), os.path.join(directory, "model.onnx"), dynamo=False, opset_version=17,
                      do_constant_folding=False, training=torch.onnx.TrainingMode.EVAL,
                      input_names=["input"], output_names=["logits"], dynamic_axes=axes)
    config = {"dataset": "imagefolder", "input_shape": [3, 224, 224], "classes": classes, "mean": MEAN, "std": STD,
              "scale": 1 / 255, "resize": 256, "channel_order": "rgb",
              "trained_by": f"scripts/make_imagenet_models.py (random weights, seed {seed})"}
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    # A fixed batch beside the model, for parity checks against ONNX Runtime (and torch: its logits too).
    sample = torch.rand(2, 3, 224, 224, generator=generator) * 2 - 1
    with torch.no_grad():
        logits = model(sample)
    np.save(os.path.join(directory, "sample_input.npy"), sample.numpy())
    np.save(os.path.join(directory, "sample_logits_torch.npy"), logits.numpy())
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters -> {directory}")


def write_images(directory, count, classes, seed):
    """Generated pictures (no photos needed): varied sizes, aspect ratios and colour modes, as a real folder has."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    modes = ["RGB", "RGB", "RGB", "L", "CMYK", "P"]
    for split, n in (("train", count), ("val", max(classes, count // 4))):
        for i in range(n):
            label = i % classes
            folder = os.path.join(directory, split, f"class{label:03d}")
            os.makedirs(folder, exist_ok=True)
            w, h = int(rng.integers(160, 520)), int(rng.integers(160, 520))
            yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
            phase = label * 0.7
            base = np.stack([128 + 100 * np.sin(xx / (9 + label) + phase), 128 + 100 * np.cos(yy / (7 + label)),
                             128 + 80 * np.sin((xx + yy) / 13.0)], -1)
            pixels = np.clip(base + rng.normal(0, 20, (h, w, 3)), 0, 255).astype(np.uint8)
            image = Image.fromarray(pixels, "RGB")
            mode = modes[i % len(modes)]
            if mode == "P":
                image.convert("P", palette=Image.ADAPTIVE).save(os.path.join(folder, f"{i:05d}.png"))
            else:
                image.convert(mode).save(os.path.join(folder, f"{i:05d}.JPEG"), quality=90)
    print(f"images: {count} train + {max(classes, count // 4)} val in {classes} classes -> {directory}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--models", default=",".join(BUILDERS))
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--symbolic-hw", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--images", type=int, default=0)
    parser.add_argument("--image-classes", type=int, default=10)
    parser.add_argument("--image-dir")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    for name in args.models.split(","):
        if name not in BUILDERS:
            parser.error(f"unknown model {name!r}; known: {', '.join(BUILDERS)}")
        export(name, args.out, args.classes, args.symbolic_hw, args.seed)
    if args.images:
        write_images(args.image_dir or os.path.join(args.out, "images"), args.images, args.image_classes, args.seed)


if __name__ == "__main__":
    main()
